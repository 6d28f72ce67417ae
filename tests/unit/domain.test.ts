import { describe, expect, it } from 'vitest'
import { ACTIONS, ALLOWED_WHEN_ARCHIVED, can, PERMISSIONS } from '../../shared/domain/permissions'
import { ROLES } from '../../shared/domain/roles'
import { groupKeyFromLabel, isDefaultGroup } from '../../shared/domain/stakeholder-groups'

describe('permissions table', () => {
  it('lets every role read and only the secretariat administer', () => {
    for (const role of ROLES) {
      expect(can(role, 'process.read')).toBe(true)
      expect(can(role, 'documents.read')).toBe(true)
      expect(can(role, 'members.manage')).toBe(role === 'secretariat')
      expect(can(role, 'audit.read')).toBe(role === 'secretariat')
      // Freezing a named version is the secretariat's alone (issue 6, item 1).
      expect(can(role, 'versions.create')).toBe(role === 'secretariat')
    }
  })

  it('lets exactly the secretariat and drafters write documents (DESIGN: read-only roles)', () => {
    expect(ROLES.filter((role) => can(role, 'documents.edit'))).toEqual(['secretariat', 'drafter'])
  })

  it('lets the secretariat and facilitators run workshops, everyone attend, and observers only listen (issue 13)', () => {
    expect(ROLES.filter((role) => can(role, 'workshops.manage'))).toEqual(['secretariat', 'facilitator'])
    expect(ROLES.filter((role) => can(role, 'workshops.attend'))).toEqual([...ROLES])
    expect(ROLES.filter((role) => !can(role, 'workshops.contribute'))).toEqual(['observer'])
  })

  it('shows the participation balance to the secretariat and facilitators only (issue 17)', () => {
    expect(ROLES.filter((role) => can(role, 'participation.read'))).toEqual(['secretariat', 'facilitator'])
  })

  it('names only known actions', () => {
    for (const role of ROLES) {
      for (const action of PERMISSIONS[role]) {
        expect(ACTIONS).toContain(action)
      }
    }
    for (const action of ALLOWED_WHEN_ARCHIVED) {
      expect(ACTIONS).toContain(action)
    }
  })
})

describe('stakeholder groups', () => {
  it('derives slug keys from labels in any language', () => {
    expect(groupKeyFromLabel('Comunidad técnica')).toBe('comunidad-tecnica')
    expect(groupKeyFromLabel('  Trade Unions / Sindicatos ')).toBe('trade-unions-sindicatos')
    expect(groupKeyFromLabel('!!!')).toBe('')
    expect(groupKeyFromLabel('x'.repeat(100))).toHaveLength(40)
  })

  it('knows the built-in groups', () => {
    expect(isDefaultGroup('civil-society')).toBe(true)
    expect(isDefaultGroup('technical-community')).toBe(false)
  })
})
