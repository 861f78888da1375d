import 'reflect-metadata';
import { consumersOf } from '#contracts';
import { runService } from '#bootstrap';
import { PaymentsModule } from './payments.module.js';

await runService({ name: 'payments', module: PaymentsModule, consumers: consumersOf('payments') });
