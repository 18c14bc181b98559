#!/usr/bin/env node
// `npm run demo [relay URL]`: creates the sample partnership (../shared/fixtures) on a running
// relay (`npm start` in another terminal) and prints its invite links.
const base = (process.argv[2] ?? process.env.DEMO_URL ?? "http://127.0.0.1:8080").replace(/\/+$/, "");
const headers = process.env.CREATE_TOKEN ? { authorization: `Bearer ${process.env.CREATE_TOKEN}` } : {};
let res;
try {
  res = await fetch(`${base}/api/workshops/sample`, { method: "POST", headers });
} catch {
  console.error(`No relay answers at ${base}. Start one with \`npm start\` (or pass its URL: npm run demo -- http://HOST:PORT).`);
  process.exit(1);
}
const body = await res.json();
if (res.status !== 201) {
  console.error(`The relay refused: ${body?.error?.message ?? res.status}`);
  process.exit(1);
}
console.log(`Created "${body.title}"\n`);
console.log(`Facilitator:  ${body.links.facilitator}`);
console.log(`Observer:     ${body.links.observer}`);
for (const org of body.organizations) console.log(`${org.name}:\n  ${body.links.participants[org.id]}`);
