// AWS caps how many ARNs one call takes (DescribeTags 20, ASG attach/detach 10).
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
