// Fallback only. @y/websocket-server imports y-leveldb at the top of utils.js, so when
// leveldown's native binary cannot load, the stock server cannot start even without
// persistence. This stands in for y-leveldb; it is never used because YPERSISTENCE is unset.
import { register } from "node:module";

const hooks = `
export async function resolve(specifier, context, next) {
  if (specifier === "y-leveldb") return { url: "data:text/javascript,export class LeveldbPersistence {}", shortCircuit: true };
  return next(specifier, context);
}`;
register(`data:text/javascript,${encodeURIComponent(hooks)}`);
