import { test } from 'node:test';
import assert from 'node:assert/strict';
import qrcode from 'qrcode-generator';
import { qrPath, qrText } from '../src/qr.js';

// Rasterises a path made of "M x y h w v1 h-w z" runs back into a matrix.
function rasterise(d, size) {
  const m = Array.from({ length: size }, () => new Array(size).fill(false));
  const re = /M(\d+) (\d+)h(\d+)v1h-(\d+)z/g;
  let used = 0;
  for (let r; (r = re.exec(d)); ) {
    const [, x, y, w, back] = r.slice(0, 5).map(Number);
    assert.equal(w, back, 'run closes on itself');
    for (let c = x; c < x + w; c++) {
      assert.equal(m[y][c], false, 'runs do not overlap');
      m[y][c] = true;
    }
    used += r[0].length;
  }
  assert.equal(used, d.length, 'path holds only runs');
  return m;
}

test('qrPath draws exactly the dark modules, inside the quiet zone', () => {
  for (const text of ['https://h5.example.cn/?c=spring', 'https://h5.example.cn/?c=spring&k=AB3DE9&cq=' + 'x'.repeat(200)]) {
    const code = qrcode(0, 'M');
    code.addData(text, 'Byte');
    code.make();
    const n = code.getModuleCount();
    const p = qrPath(code);
    assert.equal(p.size, n + 8);
    const m = rasterise(p.d, p.size);
    for (let r = 0; r < p.size; r++) {
      for (let c = 0; c < p.size; c++) {
        const inside = r >= 4 && c >= 4 && r < n + 4 && c < n + 4;
        const want = inside && code.isDark(r - 4, c - 4);
        assert.equal(m[r][c], want, `module ${r},${c}`);
      }
    }
  }
});

test('qrText drops the fragment and keeps ASCII only', () => {
  const cases = [
    ['https://h5.example.cn/?c=spring', 'https://h5.example.cn/?c=spring'],
    ['https://h5.example.cn/?c=spring&k=AB3DE9#top', 'https://h5.example.cn/?c=spring&k=AB3DE9'],
    ['https://h5.example.cn/?c=春', 'https://h5.example.cn/?c=%E6%98%A5'],
    ['https://例子.cn/?c=a', 'https://xn--fsqu00a.cn/?c=a'],
  ];
  for (const [href, want] of cases) assert.equal(qrText(href), want);
});
