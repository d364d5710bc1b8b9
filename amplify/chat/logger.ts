/** Structured JSON logs (Powertools). Log ids and codes, never tokens, tickets or message bodies. */
import { Logger } from '@aws-lambda-powertools/logger';

export const logger = new Logger({ serviceName: 'chat' });
