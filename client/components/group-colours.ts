/**
 * The colour of the n-th stakeholder group of a process, the same as the solid part of its
 * pattern in the outline's bars (styles/comments.css, `.group-pattern-n`), so a legend and a
 * chart name each group by one colour everywhere.
 */
export const GROUP_COLOURS = ['#1d4e6f', '#b45309', '#1f6a3a', '#7c3aed', '#b42318', '#334155']

export function groupColour(index: number): string {
  return GROUP_COLOURS[index % GROUP_COLOURS.length]!
}
