/**
 * 10^k for k ≤ 22, each exact as a double: an integer m < 2^53 divided by POW10[k] is the correctly
 * rounded value of the decimal m·10^-k, so the CSV and JSON scanners get Number()'s result without it.
 */
export const POW10: readonly number[] = Array.from({ length: 23 }, (_, k) => Number(`1e${k}`));
