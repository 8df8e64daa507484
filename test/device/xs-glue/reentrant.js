// Driven by harness.c (see xs-glue-args.test.ts): arguments whose valueOf runs JS that frees
// the engine or creates one on the same object, in the middle of a glue call. Prints one
// JSON line; valgrind (use after free, definite leaks) and the test judge the rest.
const bytes = (s) => { const b = new Uint8Array(s.length); for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i); return b; };
const caught = (f) => { try { f(); return "no throw"; } catch (e) { return `${e.constructor.name}: ${e.message}`; } };
const engine = () => { const e = newHostObject("dtls"); dtls.create.call(e, false, false, bytes("secretkey"), bytes("id"), undefined, false, 0, 0, 0); return e; };
const freeing = (e, value) => ({ valueOf() { dtls.free.call(e); return value; } });

const out = {};
let e = engine();
out.feed = caught(() => dtls.feed.call(e, freeing(e, 1), new Uint8Array(20)));
e = engine();
out.handleTimer = caught(() => dtls.handleTimer.call(e, freeing(e, 1)));
e = engine();
out.close = caught(() => dtls.close.call(e, freeing(e, 1)));
// write needs a connected engine to reach mbedTLS; a handshaking one still takes its now first.
e = engine();
out.write = caught(() => dtls.write.call(e, freeing(e, 1), bytes("x")));

// A nested create from inside the outer create's argument conversion: the outer call must
// refuse rather than overwrite (and leak) the engine the inner call stored.
e = newHostObject("dtls");
let nested = "not run";
const sneaky = { valueOf() { nested = caught(() => dtls.create.call(e, false, false, bytes("secretkey"), bytes("id"), undefined, false, 0, 0, 0)); return 0; } };
out.outerCreate = caught(() => dtls.create.call(e, false, false, bytes("secretkey"), bytes("id"), undefined, false, sneaky, 0, 0));
out.nestedCreate = nested;
out.stateAfterNested = dtls.state.call(e);
dtls.free.call(e);
out.afterFree = caught(() => dtls.state.call(e));
print(JSON.stringify(out));
