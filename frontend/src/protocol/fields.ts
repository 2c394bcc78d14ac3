/**
 * Defensive readers for fields of a decoded JSON object: a missing or mistyped field reads as the default.
 * `Fields<E>` is a frame that should have the shape of wire type `E`; its keys are checked against `E` at
 * compile time (so a decoder cannot read a field the protocol does not have), its values are not trusted.
 */
export type Fields<E = Record<string, unknown>> = { readonly [K in keyof E]?: unknown };

type Key<E> = keyof E & string;

export function str<E>(f: Fields<E>, key: Key<E>, fallback = ""): string {
  const v = f[key];
  return typeof v === "string" ? v : fallback;
}

export function optStr<E>(f: Fields<E>, key: Key<E>): string | null {
  const v = f[key];
  return typeof v === "string" && v !== "" ? v : null;
}

export function num<E>(f: Fields<E>, key: Key<E>, fallback: number): number {
  const v = f[key];
  return typeof v === "number" && Number.isFinite(v) ? v : fallback;
}

export function optNum<E>(f: Fields<E>, key: Key<E>): number | null {
  const v = f[key];
  return typeof v === "number" && Number.isFinite(v) ? v : null;
}

export function bool<E>(f: Fields<E>, key: Key<E>): boolean {
  return f[key] === true;
}

export function strArr<E>(f: Fields<E>, key: Key<E>): string[] {
  const v = f[key];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
}

export function obj<E, K extends Key<E>>(f: Fields<E>, key: K): Fields<NonNullable<E[K]>> {
  const v = f[key];
  return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Fields<NonNullable<E[K]>>) : {};
}

/** The objects of an array field (anything else in it is skipped), each read as the array's item type. */
export function objArr<E, K extends Key<E>>(f: Fields<E>, key: K): Fields<ItemOf<NonNullable<E[K]>>>[] {
  const v = f[key];
  if (!Array.isArray(v)) return [];
  return v.filter(
    (x): x is Fields<ItemOf<NonNullable<E[K]>>> => typeof x === "object" && x !== null && !Array.isArray(x),
  );
}

type ItemOf<A> = A extends readonly (infer T)[] ? T : never;
