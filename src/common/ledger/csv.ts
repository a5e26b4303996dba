import { SaleError } from '../errors';

/**
 * CSV per RFC 4180: fields separated by commas, records by CRLF, a field quoted when it holds a comma, a quote,
 * CR or LF, quotes inside doubled. The first record is the header.
 *
 * Spreadsheet formula injection: a spreadsheet runs a cell that starts with `=`, `+`, `-`, `@`, TAB or CR as a
 * formula. `guardCell` prefixes such a cell with an apostrophe, which spreadsheets show as text. To keep the guard
 * reversible, a cell that already is apostrophes followed by one of those characters gets one more apostrophe;
 * `unguardCell` removes exactly one. So `unguardCell(guardCell(s)) === s` for every string.
 */

const FORMULA_LIKE = /^'*[=+\-@\t\r]/;
const GUARDED = /^'+[=+\-@\t\r]/;

/** Makes a cell inert in a spreadsheet (see the module comment). */
export function guardCell(value: string): string {
  return FORMULA_LIKE.test(value) ? `'${value}` : value;
}

/** Reverses `guardCell`. */
export function unguardCell(value: string): string {
  return GUARDED.test(value) ? value.slice(1) : value;
}

function quoteField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Full-precision decimal text of a number, without exponent notation for the small dollar figures calls have. */
export function decimalCell(n: number): string {
  if (Number.isInteger(n)) return String(n);
  const s = String(n);
  return s.includes('e') ? n.toFixed(20).replace(/\.?0+$/, '') : s;
}

/** Options of `toCsv`. */
export interface CsvWriteOptions {
  /** Prefix a UTF-8 byte order mark so spreadsheets read non-ASCII text right; defaults to true. */
  bom?: boolean;
}

/** Writes a header and rows as CSV text; every cell is guarded against formula injection, then quoted as needed. */
export function toCsv(header: readonly string[], rows: readonly (readonly string[])[], options: CsvWriteOptions = {}): string {
  const line = (cells: readonly string[]) => cells.map((c) => quoteField(guardCell(c))).join(',');
  const body = [line(header), ...rows.map(line)].join('\r\n') + '\r\n';
  return (options.bom ?? true ? '\uFEFF' : '') + body;
}

/** Thrown by `parseCsv` for text that is not valid RFC 4180 CSV. */
export class CsvParseError extends SaleError {
  readonly code = 'csv-parse';
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(`${message} at character ${offset}`);
  }
}

/** Options of `parseCsv`. */
export interface CsvReadOptions {
  /** Undo `guardCell` on every cell; defaults to true. */
  unguard?: boolean;
}

/**
 * Parses RFC 4180 CSV (CRLF or LF record ends; a leading BOM is ignored; a final record end is optional) into
 * records of fields. Throws CsvParseError on a stray quote inside an unquoted field or an unclosed quoted field.
 */
export function parseCsv(text: string, options: CsvReadOptions = {}): string[][] {
  const unguard = options.unguard ?? true;
  const src = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let i = 0;
  const endField = () => {
    record.push(unguard ? unguardCell(field) : field);
    field = '';
  };
  const endRecord = () => {
    endField();
    records.push(record);
    record = [];
  };
  while (i < src.length) {
    const ch = src[i];
    if (ch === '"' && field === '') {
      const start = i;
      i += 1;
      for (;;) {
        if (i >= src.length) throw new CsvParseError('unclosed quoted field', start);
        if (src[i] === '"') {
          if (src[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i += 1;
          break;
        }
        field += src[i];
        i += 1;
      }
      const next = src[i];
      if (next !== undefined && next !== ',' && next !== '\r' && next !== '\n') throw new CsvParseError('text after a closing quote', i);
      continue;
    }
    if (ch === ',') {
      endField();
      i += 1;
    } else if (ch === '\r' && src[i + 1] === '\n') {
      endRecord();
      i += 2;
    } else if (ch === '\n') {
      endRecord();
      i += 1;
    } else if (ch === '"') {
      throw new CsvParseError('quote inside an unquoted field', i);
    } else {
      field += ch;
      i += 1;
    }
  }
  if (field !== '' || record.length > 0) endRecord();
  return records;
}
