/**
 * Schema-only types: what {@code /q/openapi} says the API's request and response bodies are. Nothing serializes or
 * parses them; the resources read their bodies by hand ({@code ChatRequests}, {@code JsonFields}, which stay the
 * validators and give OpenAI-shaped 400s) and write their responses as JSON trees. Record components are named as
 * the wire fields are ({@code max_tokens}), one to one, so a schema reads like the JSON it describes; defaults and
 * ranges are the parsers'. {@code OpenApiTest} in the app module checks real responses against these schemas.
 */
package dev.sextant.router.rest.openapi;
