import { Logger } from '@aws-lambda-powertools/logger';

/** The logger every handler shares (JSON lines; level from POWERTOOLS_LOG_LEVEL). */
export const logger = new Logger({ serviceName: 'upgrade-control-plane' });
