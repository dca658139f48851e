/**
 * A JSON pointer into a message (`/customer/email/email`, `/payload/lines/2`) as the field path errors name
 * (`customer.email.email`, `payload.lines[2]`); the message itself is ''. An index is a segment of digits.
 */
export function fieldOf(pointer: string): string {
  if (pointer === '') return '';
  let path = '';
  for (const raw of pointer.slice(1).split('/')) {
    const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    path += /^\d+$/.test(segment) ? `[${segment}]` : path === '' ? segment : `.${segment}`;
  }
  return path;
}

/** `parent.child`, or `child` at the top. */
export function childField(parent: string, child: string): string {
  return parent === '' ? child : `${parent}.${child}`;
}
