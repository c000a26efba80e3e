/**
 * What must not reach the review log: e-mail addresses, URLs, phone numbers, long runs of digits
 * (record, card, insurance numbers) and a name given after "my name is". Over-redacting is the safe
 * side: a date written as 2026-12-02 counts as a phone number and goes too.
 */
const URL = /\b(?:https?:\/\/|www\.)\S+|\b[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|edu|gov|io|info|co|uk|us|ca|au|in|de|fr)\b(?:\/\S*)?/gi;
const EMAIL = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g;
/** A run of digits and the separators phone numbers are written with; a phone number when it holds seven digits or more. */
const DIGITS_AND_SEPARATORS = /\+?\(?\d[\d\s().-]*\d/g;
const PHONE_DIGITS = 7;
const LONG_DIGIT_RUN = /\d{5,}/g;
/** The name: the next word, and the capitalised words right after it ("my name is Mary Ann Jones"). */
const NAME = /\b([Mm][Yy] [Nn][Aa][Mm][Ee](?: [Ii][Ss]|'[Ss]))\s+[^\s,.;!?]+(?:\s+[A-Z][^\s,.;!?]*)*/g;

export function redact(text: string): string {
  return text
    .replace(EMAIL, '[email]')
    .replace(URL, '[url]')
    .replace(DIGITS_AND_SEPARATORS, (run) => (run.replace(/\D/g, '').length >= PHONE_DIGITS ? '[phone]' : run))
    .replace(LONG_DIGIT_RUN, '[number]')
    .replace(NAME, '$1 [name]');
}
