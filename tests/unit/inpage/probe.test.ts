// @vitest-environment happy-dom
import { it } from 'vitest';
it('probe', () => {
  const w = document.defaultView as any;
  console.log(w === window, w.CSS === w.CSS, Object.getOwnPropertyDescriptor(w, 'CSS'), typeof w.CSS);
  w.CSS.highlights = new Map();
  console.log(typeof w.CSS.highlights);
});
