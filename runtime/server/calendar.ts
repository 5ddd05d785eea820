/** Days of each month in a leap year. */
const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * A date and time that exists in the proleptic Gregorian calendar: a month
 * 1–12, a day the month has, no hour 24, no leap second. The one check the
 * push's value validation, its DateTime cells and the raw pull's DateTime
 * text share.
 */
export function realDateTime(year: number, month: number, day: number, hour: number, minute: number, second: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = DAYS_IN_MONTH[month - 1]! - (month === 2 && !leap ? 1 : 0);
  return day <= days && hour <= 23 && minute <= 59 && second <= 59;
}
