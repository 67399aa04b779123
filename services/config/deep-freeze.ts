// The configuration is shared by every module for the life of the process; freezing it all the way down turns an
// accidental write into an immediate TypeError instead of a silent divergence between modules.

export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Reflect.ownKeys(value)) {
      deepFreeze((value as Record<PropertyKey, unknown>)[key]);
    }
  }
  return value;
}
