import { defineConfig } from 'vitest/config'

// One suite, two engines (STYLE 2.12): TEST_DB=pglite (default) or TEST_DB=postgres.
export default defineConfig({
  test: {
    globalSetup: ['tests/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      { extends: true, test: { name: 'unit', sequence: { groupOrder: 0 }, include: ['tests/unit/**/*.test.ts', 'tests/architecture.test.ts'] } },
      { extends: true, test: { name: 'route', sequence: { groupOrder: 0 }, include: ['tests/route/**/*.test.ts'] } },
      { extends: true, test: { name: 'collab', sequence: { groupOrder: 0 }, include: ['tests/collab/**/*.test.ts'] } },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.e2e.ts'],
          // One browser at a time on a 2-core machine, after the other projects are done:
          // timing in a browser suffers when the database tests take both cores.
          fileParallelism: false,
          sequence: { groupOrder: 1 },
          testTimeout: 90_000,
        },
      },
    ],
  },
})
