// Identifiers of stored records: random UUIDs for rows, and the pseudonymous case ID people read
// ("SL-7K3M-Q9TD": Crockford base32, no I/L/O/U, carries nothing about the patient).
import { randomBytes, randomUUID } from 'node:crypto';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export function newId(): string {
  return randomUUID();
}

export function newPseudonym(): string {
  const bytes = randomBytes(8);
  const chars = [...bytes].map((b) => CROCKFORD[b & 31]).join('');
  return `SL-${chars.slice(0, 4)}-${chars.slice(4)}`;
}

export function nowIso(): string {
  return new Date().toISOString();
}
