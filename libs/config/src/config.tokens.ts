/** Injection token for the app's validated config object (GatewayEnv, ProjectorEnv, …). */
export const APP_CONFIG = Symbol('APP_CONFIG');
