/** Money, times and addresses as the pages show them: one formatter each, in the browser's locale. */
export function money(cents: number, currency: string): string {
  return new Intl.NumberFormat(undefined, { style: 'currency', currency }).format(cents / 100);
}

export function time(iso: string | null | undefined): string {
  if (!iso) return '';
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
}

export function clockTime(iso: string): string {
  return new Date(iso).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

/** A shipping address as lines for a label: street, the optional second line, postal code and city, the country's name. */
export function addressLines(address: { line1: string; line2?: string; city: string; postalCode: string; country: string }): string[] {
  const country = new Intl.DisplayNames(undefined, { type: 'region', fallback: 'code' }).of(address.country) ?? address.country;
  return [address.line1, address.line2, `${address.postalCode} ${address.city}`, country].filter((line): line is string => Boolean(line));
}
