// Prices a batch of cases with the counter's engine (canteen/web/static/counter/engine.js):
// reads [{policy, diner, meal, usage}, ...] as JSON on stdin, writes the pricings as JSON.
import { readFileSync } from "node:fs";
import { price } from "../../canteen/web/static/counter/engine.js";

const cases = JSON.parse(readFileSync(0, "utf8"));
const out = cases.map(({ policy, diner, meal, usage }) => price(policy, diner, meal, usage));
process.stdout.write(JSON.stringify(out));
