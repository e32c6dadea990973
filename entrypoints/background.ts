export default defineBackground(() => {
  // Wiring lands with the extension issue; the engine lives in core/.
});
