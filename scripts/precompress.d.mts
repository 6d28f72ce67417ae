/** Writes .br and .gz copies beside every compressible file under `dir`; returns the files written. */
export function precompressDirectory(dir: string): Promise<string[]>
