/** Defensive readers for fields of a decoded JSON object: a wrong type reads as the default. */
export type Fields = Readonly<Record<string, unknown>>;

export function str(f: Fields, key: string, fallback = ""): string {
  const v = f[key];
  return typeof v === "string" ? v : fallback;
}

export function optStr(f: Fields, key: string): string | null {
  const v = f[key];
  return typeof v === "string" && v !== "" ? v : null;
}

export function num(f: Fields, key: string, fallback: number): number {
  const v = f[key];
  return typeof v === "number" && Number.isFinite(v) ? v : fallback;
}

export function optNum(f: Fields, key: string): number | null {
  const v = f[key];
  return typeof v === "number" && Number.isFinite(v) ? v : null;
}

export function bool(f: Fields, key: string): boolean {
  return f[key] === true;
}

export function strArr(f: Fields, key: string): string[] {
  const v = f[key];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
}

export function obj(f: Fields, key: string): Fields {
  const v = f[key];
  return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Fields) : {};
}
