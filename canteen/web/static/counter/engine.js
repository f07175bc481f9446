// Price a meal under a subsidy policy in the browser: a port of canteen/policies/engine.py,
// step for step, so a counter that cannot reach the server prices a scan exactly as the
// server would (tests/offline/test_engine_parity.py runs both on the same cases). Pure.
//
// policy: the policy's JSON (PolicyDocument); diner: {age, categories, disability_level,
// district, street}; meal: {canteen_id, canteen_district, canteen_street, meal_type,
// price_fen, tags}; usage: {rule_code: {today, this_month}}. Money is integer fen.

export const LIMIT_REACHED = "subsidy_limit_reached";

const given = (value) => value !== null && value !== undefined;

function anyIn(have, wanted) {
  return wanted.some((item) => have.includes(item));
}

function sameDistrict(diner, meal) {
  return Boolean(diner.district) && diner.district === meal.canteen_district;
}

function sameStreet(diner, meal) {
  return Boolean(diner.street) && diner.street === meal.canteen_street && sameDistrict(diner, meal);
}

export function matches(rule, diner, meal) {
  const when = rule.when || {};
  const categories = diner.categories || [];
  const tags = meal.tags || [];
  return (
    (!given(rule.meal_types) || rule.meal_types.includes(meal.meal_type)) &&
    (!given(when.min_age) || diner.age >= when.min_age) &&
    (!given(when.max_age) || diner.age <= when.max_age) &&
    (!given(when.categories_any) || anyIn(categories, when.categories_any)) &&
    (!given(when.categories_all) || when.categories_all.every((c) => categories.includes(c))) &&
    (!given(when.disability_levels) || when.disability_levels.includes(diner.disability_level)) &&
    (!given(when.canteen_ids) || when.canteen_ids.includes(meal.canteen_id)) &&
    (!given(when.offering_tags_any) || anyIn(tags, when.offering_tags_any)) &&
    (when.registered_in !== "district" || sameDistrict(diner, meal)) &&
    (when.registered_in !== "street" || sameStreet(diner, meal)) &&
    (!given(when.min_price_fen) || meal.price_fen >= when.min_price_fen)
  );
}

export function withinLimits(rule, usage) {
  return (
    (!given(rule.daily_limit) || usage.today < rule.daily_limit) &&
    (!given(rule.monthly_limit) || usage.this_month < rule.monthly_limit)
  );
}

/** A percent of fen, rounded down (money.percent_of). */
export function percentOf(fen, percent) {
  return Math.floor((fen * percent) / 100);
}

export function amount(rule, priceFen) {
  if (given(rule.amount_fen)) return rule.amount_fen;
  const value = percentOf(priceFen, rule.percent);
  return given(rule.max_fen) ? Math.min(value, rule.max_fen) : value;
}

function choose(rules, stacking, priceFen) {
  if (stacking === "sum") return rules;
  let best = null;
  for (const rule of rules) {
    if (rule.stack_always) continue;
    if (best === null || amount(rule, priceFen) > amount(best, priceFen)) best = rule; // first on a tie
  }
  return rules.filter((rule) => rule.stack_always || rule === best);
}

function cut(lines, allowed) {
  let excess = lines.reduce((sum, line) => sum + line.amount_fen, 0) - allowed;
  const kept = lines.map((line) => ({ ...line }));
  for (let i = kept.length - 1; i >= 0 && excess > 0; i -= 1) {
    const taken = Math.min(excess, kept[i].amount_fen);
    excess -= taken;
    kept[i].amount_fen -= taken;
  }
  return kept.filter((line) => line.amount_fen > 0);
}

function line(rule, priceFen) {
  return { rule: rule.code, label: rule.label, funder: rule.funder, amount_fen: amount(rule, priceFen) };
}

/** The subsidy lines, the price to pay, and the warnings for one meal (engine.price). */
export function price(policy, diner, meal, usage = {}) {
  const pays = (rule) => rule.pays || "diner";
  const used = (rule) => usage[rule.code] || { today: 0, this_month: 0 };
  const matching = policy.rules.filter((rule) => matches(rule, diner, meal));
  const available = matching.filter((rule) => withinLimits(rule, used(rule)));
  const discounts = available.filter((rule) => pays(rule) === "diner");
  const reached = matching
    .filter((rule) => pays(rule) === "diner" && !available.includes(rule))
    .map((rule) => rule.code);
  const chosen = choose(discounts, policy.stacking, meal.price_fen);
  const allowed = Math.max(0, meal.price_fen - (policy.min_pay_fen || 0));
  const lines = cut(chosen.map((rule) => line(rule, meal.price_fen)), allowed);
  const operatorLines = available
    .filter((rule) => pays(rule) === "operator")
    .map((rule) => line(rule, meal.price_fen))
    .filter((l) => l.amount_fen);
  const subsidyFen = lines.reduce((sum, l) => sum + l.amount_fen, 0);
  return {
    price_fen: meal.price_fen,
    lines,
    operator_lines: operatorLines,
    warnings: reached.length ? [LIMIT_REACHED] : [],
    limits_reached: reached,
    subsidy_fen: subsidyFen,
    pay_fen: meal.price_fen - subsidyFen,
  };
}

/** The policy with the latest effective_from on or before the ISO date `on` (engine.in_force). */
export function inForce(policies, on) {
  let found = null;
  for (const policy of policies) {
    if (policy.effective_from <= on && (found === null || policy.effective_from > found.effective_from)) {
      found = policy;
    }
  }
  return found;
}
