/**
 * Builds a starting `arguments` object from a tool's JSON Schema: each property gets its
 * `default`, else its `const`, else the first `enum` value, else an empty value of its type.
 */

type Schema = Record<string, unknown>;

function asSchema(value: unknown): Schema | undefined {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Schema) : undefined;
}

function firstType(schema: Schema): string | undefined {
  const type = schema.type;
  if (typeof type === 'string') return type;
  if (Array.isArray(type)) return type.find((t): t is string => typeof t === 'string' && t !== 'null');
  if (asSchema(schema.properties)) return 'object';
  for (const key of ['anyOf', 'oneOf'] as const) {
    const options = schema[key];
    if (Array.isArray(options)) {
      for (const option of options) {
        const s = asSchema(option);
        const t = s ? firstType(s) : undefined;
        if (t && t !== 'null') return t;
      }
    }
  }
  return undefined;
}

export function exampleValue(schema: Schema, depth = 0): unknown {
  if ('default' in schema) return schema.default;
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  switch (firstType(schema)) {
    case 'string':
      return '';
    case 'number':
    case 'integer':
      return emptyNumber(schema);
    case 'boolean':
      return false;
    case 'array':
      return [];
    case 'null':
      return null;
    case 'object':
      return depth > 5 ? {} : exampleObject(schema, depth + 1);
    default:
      return null;
  }
}

/** 0, unless the schema's bounds exclude it (e.g. a positive integer starts at 1). */
function emptyNumber(schema: Schema): number {
  const integer = firstType(schema) === 'integer';
  if (typeof schema.minimum === 'number' && schema.minimum > 0) return integer ? Math.ceil(schema.minimum) : schema.minimum;
  if (typeof schema.exclusiveMinimum === 'number' && schema.exclusiveMinimum >= 0) {
    return integer ? Math.floor(schema.exclusiveMinimum) + 1 : schema.exclusiveMinimum + 1;
  }
  if (typeof schema.maximum === 'number' && schema.maximum < 0) return schema.maximum;
  return 0;
}

function exampleObject(schema: Schema, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const properties = asSchema(schema.properties);
  if (!properties) return out;
  for (const [key, value] of Object.entries(properties)) {
    const property = asSchema(value);
    out[key] = property ? exampleValue(property, depth) : null;
  }
  return out;
}

export function exampleArguments(inputSchema: Record<string, unknown>): Record<string, unknown> {
  return exampleObject(inputSchema, 0);
}
