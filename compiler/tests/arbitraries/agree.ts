/**
 * The differential check shared by the backend tests: one predicate, its
 * customers (and events), all three backends, a thrown error with every
 * detail on the first disagreement.
 */
import Database from "better-sqlite3";
import { expect } from "vitest";
import { compilePredicate } from "../../codegen/js.ts";
import { compileSql, SqlCompileError } from "../../codegen/sql.ts";
import { createCustomerTables, insertCustomers, selectAudience } from "../../data/load.ts";
import { staticRep } from "../../data/values.ts";
import { evaluate, trace } from "../../interp/interpret.ts";
import { fieldsRead, walkPred, type CustomerRecord, type EvalContext, type EventFields, type Pred } from "../../ir/predicate.ts";
import type { CatalogPlan } from "../../plan/types.ts";

/** Tallies for the test logs. */
export const counts = { arithPairs: 0, audiencePairs: 0, eventPairs: 0, sqlQueries: 0, sqlRefusals: 0, inAudience: 0, e2ePairs: 0 };

/** Whether SQL must refuse the predicate: it reads event fields or a date-time anniversary. */
export function sqlMustRefuse(pred: Pred): boolean {
  if (fieldsRead(pred).size > 0) return true;
  let refuse = false;
  walkPred(pred, (p) => {
    if (p.k === "anniversary" && staticRep(p.value) === "datetime") refuse = true;
  });
  return refuse;
}

export function show(x: unknown): string {
  return JSON.stringify(x, (_k, v: unknown) => (typeof v === "number" && !Number.isFinite(v) ? String(v) : Object.is(v, -0) ? "-0" : v instanceof Set ? [...(v as Set<unknown>)] : v));
}

/** Runs all three backends (returns the interpreter's verdicts) on one predicate and its customers; throws with the details on any disagreement. */
export function agree(pred: Pred, ctx: EvalContext, customers: readonly CustomerRecord[], fields: readonly EventFields[], catalog: CatalogPlan): boolean[] {
  const expected = customers.map((c, i) => evaluate(pred, c, fields[i], ctx));
  const js = compilePredicate(pred)(ctx);
  customers.forEach((c, i) => {
    const got = js(c, fields[i]);
    if (got !== expected[i]) throw new Error(`JS says ${got}, interpreter says ${expected[i]}\npred ${show(pred)}\nctx ${show(ctx)}\ncustomer ${show(c)}\nfields ${show(fields[i])}`);
    const t = trace(pred, c, fields[i], ctx).result;
    if (t !== expected[i]) throw new Error(`trace says ${t}, evaluate says ${expected[i]}\npred ${show(pred)}`);
  });
  if (sqlMustRefuse(pred)) {
    expect(() => compileSql(pred, catalog, ctx)).toThrow(SqlCompileError);
    counts.sqlRefusals++;
    return expected;
  }
  const db = new Database(":memory:");
  try {
    createCustomerTables(db, catalog);
    insertCustomers(db, catalog, customers);
    const ids = selectAudience(db, pred, catalog, ctx);
    const want = customers.filter((_c, i) => expected[i]).map((c) => c.id).sort();
    counts.sqlQueries++;
    counts.inAudience += want.length;
    if (show(ids) !== show(want)) {
      const { sql, params } = compileSql(pred, catalog, ctx);
      const bad = customers.filter((c) => ids.includes(c.id) !== want.includes(c.id));
      throw new Error(`SQL selects ${show(ids)}, interpreter ${show(want)}\npred ${show(pred)}\nctx ${show(ctx)}\nsql ${sql}\nparams ${show(params)}\ndiffering ${show(bad)}`);
    }
  } finally {
    db.close();
  }
  return expected;
}

