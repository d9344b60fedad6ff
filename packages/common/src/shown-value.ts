/** The longest part of a setting's value a message repeats. */
const SHOWN_VALUE_LENGTH = 100;

/**
 * A setting's value as a configuration error repeats it: in JSON quotes and escapes (a newline in it
 * cannot start a line that reads as another problem), cut to SHOWN_VALUE_LENGTH characters, and with
 * the user and password of any URL in it masked (`https://***@vault.example`): a password there is a
 * secret whatever the variable is called.
 */
export function shownValue(value: string | undefined): string {
  // Up to the authority's @, and also up to the last @ of a run without spaces (a password with a "/").
  const masked = (value ?? "").replace(/\/\/[^/?#]*@/g, "//***@").replace(/\/\/[^\s@]*@/g, "//***@");
  return JSON.stringify(masked.length > SHOWN_VALUE_LENGTH ? `${masked.slice(0, SHOWN_VALUE_LENGTH)}…` : masked);
}
