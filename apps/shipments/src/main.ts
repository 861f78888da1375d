import 'reflect-metadata';
import { consumersOf } from '#contracts';
import { runService } from '#bootstrap';
import { ShipmentsModule } from './shipments.module.js';

await runService({ name: 'shipments', module: ShipmentsModule, consumers: consumersOf('shipments') });
