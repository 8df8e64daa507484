import test from "ava";
import { after, connectedPair, pair, run, C_ADDR, S_ADDR } from "./pair.js";

test("coaps connect with no credentials answers Error 7: InvalidArgs and the node keeps working", async (t) => {
  const p = await pair();
  try {
    run(p.s, "coaps psk key id", "coaps start", "coaps resource r");
    run(p.c, "coaps start");
    p.c.send(`coaps connect ${S_ADDR}`);
    t.is(after(p, p.c, 1000), `coaps connect ${S_ADDR}\r\nError 7: InvalidArgs\r\n> `);
    run(p.c, "coaps psk key id", `coaps connect ${S_ADDR}`);
    p.c.expect("coaps connected\r\n", 1000);
  } finally {
    p.sim.close();
  }
});

test("a dotted IPv4 address connects, and both consoles print IPv4 peers as dotted quads", async (t) => {
  const p = await connectedPair("192.0.2.1");
  try {
    p.c.send("coaps get r");
    t.is(after(p, p.c, 500), "coaps get r\r\nDone\r\n> coaps response from 192.0.2.1 with payload: 30\r\n");
    t.is(after(p, p.s, 0), "coaps request from 192.0.2.2 GET\r\ncoaps response sent\r\n");
  } finally {
    p.sim.close();
  }
});

test("pending requests print Abort before coaps disconnected when the session goes down", async (t) => {
  const p = await connectedPair();
  try {
    p.sim.network.partition([1], [2]);
    run(p.c, "coaps put r con x", "coaps get r", "coaps disconnect");
    t.is(after(p, p.c, 1999), "");
    t.is(after(p, p.c, 1), "coaps receive response error 11: Abort\r\ncoaps receive response error 11: Abort\r\ncoaps disconnected\r\n");
  } finally {
    p.sim.close();
  }
});

test("a server-side GET to a client without a resource prints a bare response line; the client prints nothing", async (t) => {
  const p = await connectedPair();
  try {
    p.s.send("coaps get nothing");
    t.is(after(p, p.s, 500), `coaps get nothing\r\nDone\r\n> coaps response from ${C_ADDR}\r\n`);
    t.is(after(p, p.c, 0), "");
  } finally {
    p.sim.close();
  }
});

test("the accepting node can request the client's own resource once connected (§6.4)", async (t) => {
  const p = await connectedPair();
  try {
    run(p.c, "coaps resource mine");
    p.s.send("coaps get mine");
    t.is(after(p, p.s, 500), `coaps get mine\r\nDone\r\n> coaps response from ${C_ADDR} with payload: 30\r\n`);
    t.is(after(p, p.c, 0), `coaps request from ${S_ADDR} GET\r\ncoaps response sent\r\n`);
  } finally {
    p.sim.close();
  }
});

test("a PSK node and an x509 node never connect: both print disconnected about 2 s later", async (t) => {
  const p = await pair();
  try {
    run(p.s, "coaps x509", "coaps start");
    run(p.c, "coaps psk key id", "coaps start", `coaps connect ${S_ADDR}`);
    const c = after(p, p.c, 2500);
    t.is(c, "coaps disconnected\r\n");
    t.is(after(p, p.s, 0), "coaps disconnected\r\n");
  } finally {
    p.sim.close();
  }
});

test("x509 with the peer check on connects with the built-in credentials", async (t) => {
  const p = await pair();
  try {
    run(p.s, "coaps x509", "coaps start", "coaps resource r");
    run(p.c, "coaps x509", "coaps start true", `coaps connect ${S_ADDR}`);
    p.c.expect("coaps connected\r\n", 1000);
    run(p.c, "coaps get r con");
    p.c.expect(`coaps response from ${S_ADDR} with payload: 30\r\n`, 1000);
    t.pass();
  } finally {
    p.sim.close();
  }
});

test("settings and the resource survive stop and start, and the resource still answers (stop quirk)", async (t) => {
  const p = await pair();
  try {
    run(p.s, "coaps psk key id", "coaps resource keep", "coaps set hi", "coaps start", "coaps stop", "coaps start");
    p.s.send("coaps resource");
    p.s.expect("keep\r\nDone\r\n", 0);
    p.s.send("coaps set");
    p.s.expect("hi\r\nDone\r\n", 0);
    run(p.c, "coaps psk key id", "coaps start", `coaps connect ${S_ADDR}`);
    p.c.expect("coaps connected\r\n", 1000);
    run(p.c, "coaps get keep");
    p.c.expect(`coaps response from ${S_ADDR} with payload: 6869\r\n`, 1000);
    t.pass();
  } finally {
    p.sim.close();
  }
});

test("renaming the resource makes the old path answer 4.04 at once", async (t) => {
  const p = await connectedPair();
  try {
    run(p.s, "coaps resource other");
    p.c.send("coaps get r con");
    t.is(after(p, p.c, 500), `coaps get r con\r\nDone\r\n> coaps response from ${S_ADDR}\r\n`);
    t.is(after(p, p.s, 0), "");
    p.c.send("coaps get other con");
    t.regex(after(p, p.c, 500), /with payload: 30\r\n$/);
  } finally {
    p.sim.close();
  }
});

test("a client started with an attempt limit closes itself after its last session ends", async (t) => {
  const p = await pair();
  try {
    run(p.s, "coaps psk key id", "coaps start");
    run(p.c, "coaps psk key id", "coaps start 1", `coaps connect ${S_ADDR}`);
    p.c.expect("coaps connected\r\n", 1000);
    run(p.c, "coaps disconnect");
    p.c.expect("coaps disconnected\r\n", 2000);
    p.c.send("coaps isclosed");
    p.c.expect("yes\r\nDone\r\n", 0);
    t.pass();
  } finally {
    p.sim.close();
  }
});

test("credentials changed during a session apply only to the next one", async (t) => {
  const p = await connectedPair();
  try {
    run(p.c, "coaps psk other id", "coaps get r con");
    p.c.expect(`coaps response from ${S_ADDR} with payload: 30\r\n`, 1000);
    run(p.c, "coaps disconnect");
    p.c.expect("coaps disconnected\r\n", 2000);
    run(p.c, `coaps connect ${S_ADDR}`);
    t.is(after(p, p.c, 2500), "coaps disconnected\r\n"); // wrong PSK now
  } finally {
    p.sim.close();
  }
});

test("start applies the peer-check argument even when it answers Already", async (t) => {
  const p = await pair();
  try {
    run(p.s, "coaps x509", "coaps start");
    // C starts with the check on, then `start false` fails with Already but turns the check off.
    run(p.c, "coaps x509", "coaps start");
    p.c.send("coaps start false");
    p.c.expect("Error 24: Already\r\n", 0);
    run(p.c, `coaps connect ${S_ADDR}`);
    p.c.expect("coaps connected\r\n", 1000);
    t.pass();
  } finally {
    p.sim.close();
  }
});
