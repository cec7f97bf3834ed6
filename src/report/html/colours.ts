// One colour per variant, by its index in summary.json, on every chart and table swatch of
// the page (the browser code gets this same list). Colour-blind-friendly, and without red:
// red means "error" on the page. Past the last colour they repeat, drawn dashed.
export const VARIANT_PALETTE: readonly string[] = [
  '#4269d0',
  '#efb118',
  '#3ca951',
  '#a463f2',
  '#ff8ab7',
  '#6cc5b0',
  '#9c6b4e',
  '#97bbf5',
];

export function variantColour(index: number): string {
  return VARIANT_PALETTE[index % VARIANT_PALETTE.length] as string;
}
