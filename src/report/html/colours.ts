// One colour per variant, by its place on the page (types.ts: ReportData.variants), on every
// chart and table swatch (the browser code gets this same list). Twelve distinct colours,
// without red (red means "error" on the page) and without grey (the page's axes); past the
// twelfth they repeat, drawn dashed, and the variant picker shows any subset on its own.
export const VARIANT_PALETTE: readonly string[] = [
  '#4269d0',
  '#efb118',
  '#3ca951',
  '#a463f2',
  '#ff8ab7',
  '#6cc5b0',
  '#9c6b4e',
  '#97bbf5',
  '#f28e2b',
  '#1b7f6a',
  '#b279a2',
  '#bcbd22',
];

export function variantColour(index: number): string {
  return VARIANT_PALETTE[index % VARIANT_PALETTE.length] as string;
}
