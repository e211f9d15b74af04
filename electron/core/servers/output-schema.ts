/**
 * Checks a tool result's `structuredContent` against the tool's `outputSchema`. The SDK would
 * throw on a mismatch and the user would lose the result; Sluice shows the result and says what
 * does not match. Compiled validators are cached per schema object (a tools/list refresh brings
 * new objects, so a changed schema is compiled again).
 */
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/client/validators/ajv';

const MAX_PROBLEM = 1_000;

const validator = new AjvJsonSchemaValidator();
const compiled = new WeakMap<object, (value: unknown) => { valid: boolean; errorMessage?: string }>();

/** Answers why the result does not fit the schema, or undefined when it does (or there is no schema). */
export function outputSchemaProblem(
  outputSchema: Record<string, unknown> | undefined,
  result: { structuredContent?: unknown; isError?: boolean },
): string | undefined {
  if (!outputSchema || result.isError) return undefined;
  if (result.structuredContent === undefined) return 'The tool declares an output schema but returned no structured content';
  try {
    let check = compiled.get(outputSchema);
    if (!check) {
      check = validator.getValidator(outputSchema);
      compiled.set(outputSchema, check);
    }
    const outcome = check(result.structuredContent);
    if (outcome.valid) return undefined;
    return `The structured content does not match the tool's output schema: ${outcome.errorMessage ?? 'invalid'}`.slice(0, MAX_PROBLEM);
  } catch (error) {
    return `The tool's output schema could not be checked: ${error instanceof Error ? error.message : String(error)}`.slice(0, MAX_PROBLEM);
  }
}
