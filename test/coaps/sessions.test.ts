import test from "ava";
import { after, connectedPair, pair, roguePair, run, C_ADDR, S_ADDR } from "./pair.js";

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

for (const mapped of ["::ffff:192.0.2.1", "::FFFF:c000:201", "0:0:0:0:0:ffff:c000:201"]) {
  test(`an IPv4-mapped address (${mapped}) connects to that IPv4 peer, printed as a dotted quad`, async (t) => {
    // Sockets answer from the IPv4 address, so a session kept under the mapped text never connected.
    const p = await connectedPair(mapped);
    try {
      p.c.send("coaps get r");
      t.is(after(p, p.c, 500), "coaps get r\r\nDone\r\n> coaps response from 192.0.2.1 with payload: 30\r\n");
      t.is(after(p, p.s, 0), "coaps request from 192.0.2.2 GET\r\ncoaps response sent\r\n");
    } finally {
      p.sim.close();
    }
  });
}

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

// spec §3.2: `coaps start` applies its check argument even when it then answers Already, and
// the next session uses it, in either role. The far node has a certificate from another CA,
// so only the check decides whether the handshake completes.
for (const role of ["server", "client"] as const) {
  test(`as ${role}, start answering Already still turns the peer check on: a node with an untrusted certificate is refused`, async (t) => {
    const p = await roguePair(role === "server" ? 2 : 1);
    try {
      const [me, far] = role === "server" ? [p.s, p.c] : [p.c, p.s];
      run(p.s, "coaps x509", "coaps resource r");
      run(p.c, "coaps x509");
      run(far, "coaps start false");
      run(me, "coaps start false");
      me.send("coaps start");
      t.is(after(p, me, 0), "coaps start\r\nError 24: Already\r\n> ");
      run(p.c, `coaps connect ${S_ADDR}`);
      t.is(after(p, p.c, 2500), "coaps disconnected\r\n");
      t.is(after(p, p.s, 0), "coaps disconnected\r\n");
    } finally {
      p.sim.close();
    }
  });

  test(`as ${role}, start answering Already still turns the peer check off: a node with an untrusted certificate connects`, async (t) => {
    const p = await roguePair(role === "server" ? 2 : 1);
    try {
      const [me, far] = role === "server" ? [p.s, p.c] : [p.c, p.s];
      run(p.s, "coaps x509", "coaps resource r");
      run(p.c, "coaps x509");
      run(far, "coaps start false");
      run(me, "coaps start");
      me.send("coaps start false");
      t.is(after(p, me, 0), "coaps start false\r\nError 24: Already\r\n> ");
      run(p.c, `coaps connect ${S_ADDR}`);
      t.is(after(p, p.c, 1000), "coaps connected\r\n");
      t.is(after(p, p.s, 0), "coaps connected\r\n");
      run(p.c, "coaps get r con");
      t.is(after(p, p.c, 1000), `coaps response from ${S_ADDR} with payload: 30\r\n`);
    } finally {
      p.sim.close();
    }
  });
}
