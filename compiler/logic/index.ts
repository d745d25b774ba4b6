/** The reasoner: normal form, solver and rendering. */
export { normalize, fAnd, fOr, subjectOf, dayNumber, type Formula, type Lit, type Scalar, type Source } from "./formula.ts";
export { decide, decideFormula, checkCube, contradiction, tautology, type Env, type Satisfiability, type SubjectDomain, type Witness } from "./solve.ts";
export { showLit, showNumber, showPred, showValue, showWitness } from "./render.ts";
