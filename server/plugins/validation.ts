import { Ajv, type Options } from 'ajv'
import addFormats from 'ajv-formats'
import type { FastifySchemaCompiler } from 'fastify'

const common: Options = { allErrors: false, useDefaults: true, removeAdditional: false, strict: false }

// Bodies are JSON and must be exactly right: no coercion ("true" is not a boolean) and no
// silently dropped fields (unknown fields are a 400). Query strings and path parameters are
// text by nature, so numbers and booleans there are coerced from their text.
const strict = addFormats.default(new Ajv({ ...common, coerceTypes: false }))
const coercing = addFormats.default(new Ajv({ ...common, coerceTypes: 'array' }))

/** Compiles each route schema with the Ajv suited to the part of the request it checks. */
export const validatorCompiler: FastifySchemaCompiler<object> = ({ schema, httpPart }) => {
  const ajv = httpPart === 'body' ? strict : coercing
  return ajv.compile(schema) as ReturnType<FastifySchemaCompiler<object>>
}
