export { startStockroom, type Stockroom, type Role, type Services } from './compose.ts';
export { loadConfig, ConfigError, type Config } from './config.ts';
export { createLogger } from './logger.ts';
