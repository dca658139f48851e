import { fitPage } from './page-budget';

const row = (n: number, size: number) => ({ n, text: 'x'.repeat(size) });
const sizeOf = (value: unknown) => Buffer.byteLength(JSON.stringify(value)) + 1;

describe(fitPage.name, () => {
  it('keeps up to limit rows when they fit, and says more exist only when a row was left', () => {
    const rows = [row(1, 10), row(2, 10), row(3, 10)];
    expect(fitPage(rows, 2, 10_000)).toEqual({ items: rows.slice(0, 2), hasMore: true });
    expect(fitPage(rows, 3, 10_000)).toEqual({ items: rows, hasMore: false });
  });

  it('stops before the row that would pass the byte budget, and says more exist', () => {
    const rows = Array.from({ length: 201 }, (_, i) => row(i, 32 * 1024));
    const sut = fitPage(rows, 200, 1024 * 1024);
    expect(sut.hasMore).toBe(true);
    expect(sut.items).toEqual(rows.slice(0, sut.items.length));
    expect(sut.items.reduce((sum, item) => sum + sizeOf(item), 0)).toBeLessThanOrEqual(1024 * 1024);
    expect(sut.items.length).toBe(Math.floor((1024 * 1024) / sizeOf(rows[0])));
  });

  it('always keeps the first row, however large', () => {
    const rows = [row(1, 5000), row(2, 10)];
    expect(fitPage(rows, 50, 1024)).toEqual({ items: [rows[0]], hasMore: true });
    expect(fitPage([rows[0]], 50, 1024)).toEqual({ items: [rows[0]], hasMore: false });
  });
});
