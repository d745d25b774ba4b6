/** Public surface of the language front end (browser-safe: no Node built-ins). */
export * from "./ast.ts";
export * from "./span.ts";
export * from "./diagnostics/diagnostic.ts";
export * from "./diagnostics/codes.ts";
export { makeDiagnostic } from "./diagnostics/make.ts";
export { parse, campaignLexer, campaignParser, type ParseResult } from "./parser/parse.ts";
