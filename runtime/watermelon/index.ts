export { jsonArray, jsonValue, type JsonValue } from './sanitizers';
