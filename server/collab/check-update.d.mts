/** What checking an update found: fit to apply, or the reason it is refused. */
export type UpdateCheck =
  { ok: true; structs: number } | { ok: false; reason: string; tooLarge?: boolean }

export function checkUpdate(
  update: Uint8Array,
  maxStructs: number,
  maxClients?: number,
  maxDeleteSetClients?: number,
): UpdateCheck
