/**
 * The nav_bar icon: `assets/icon_nav_bar.svg`, the loop of the logo (a ring with a gap and its arrow head) on an
 * 18×18 view box. No fill and no colour of its own: Zendesk styles nav_bar SVG icons with the account's brand
 * colours (inactive, hover, active), which a PNG could not follow. Generated, like the logos, so the package's
 * images come from code.
 */
export function navBarIconSvg(): string {
  // Ring from 3 o'clock clockwise to 12 o'clock (a 270° arc), radius 6.5, 2 wide; arrow head at the gap.
  const r = 6.5;
  const cx = 9;
  const cy = 9;
  const start = { x: cx + r, y: cy };
  const end = { x: cx, y: cy - r };
  return [
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 18 18">',
    `<path d="M${start.x} ${start.y} A${r} ${r} 0 1 1 ${end.x} ${end.y}" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round"/>`,
    `<path d="M${end.x - 0.5} ${end.y - 3} L${end.x + 3.5} ${end.y} L${end.x - 0.5} ${end.y + 3} Z"/>`,
    `<circle cx="${cx}" cy="${cy}" r="1.6"/>`,
    '</svg>',
    '',
  ].join('\n');
}
