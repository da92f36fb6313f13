export { NerError, ERROR_KINDS, type ErrorCode } from './errors.js';
