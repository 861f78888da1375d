/**
 * The services of the pipeline. Each owns its stream (`Streams[...].service`)
 * and runs its consumers (`Consumers[...].service`), and connects to NATS as
 * a user of the same name whose permissions are derived from both
 * (nats-permissions.ts).
 */
export type ServiceName = 'orders-api' | 'payments' | 'shipments' | 'analytics' | 'inventory';
