import { sdk } from "./state.js";

export default class Serial {
  constructor(options) {
    this.options = options;
    this.out = [];
    this.rx = [];
    sdk.serial = this;
  }
  read() {
    if (this.rx.length === 0) return undefined;
    return Uint8Array.from(this.rx.splice(0)).buffer;
  }
  write(data) {
    if (data.byteLength > 128) throw new Error("output full");
    this.out.push(...new Uint8Array(data));
    // The FIFO drains onto the wire and the driver reports the room, as the TX interrupt does.
    if (!this.draining) {
      this.draining = true;
      setTimeout(() => {
        this.draining = false;
        this.options.onWritable?.call(this, 128);
      }, 1);
    }
  }
  close() {}
  /** Test side: the user types. */
  type(text) {
    for (const c of text) this.rx.push(c.charCodeAt(0));
    this.options.onReadable.call(this, this.rx.length);
  }
  text() {
    return String.fromCharCode(...this.out);
  }
}
