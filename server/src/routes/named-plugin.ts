/**
 * A plugin with a name, for Fastify's plugin tree and error messages. Fastify names an unnamed plugin (our route
 * factories return arrow functions) by searching every loaded module for it, at each registration: about 50 ms per
 * server under the tests' module registry, spent twice per plugin. A name given here spares that search.
 */
export function named<T extends object>(name: string, plugin: T): T {
  Object.defineProperty(plugin, Symbol.for('fastify.display-name'), { value: name })
  return plugin
}
