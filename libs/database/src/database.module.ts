import { type DynamicModule, Global, Module } from '@nestjs/common';
import { DATABASE_OPTIONS, type DatabaseOptions } from './database.options.js';
import { PrismaService } from './prisma.service.js';
import { SqlDatabase } from './sql-database.js';

/**
 * Provides PrismaService and SqlDatabase (one pool) to the whole app (global: every feature module of a
 * service uses the same database and the same pool). Import once, in the root module.
 */
@Global()
@Module({})
export class DatabaseModule {
  static forRoot(options: DatabaseOptions): DynamicModule {
    return {
      module: DatabaseModule,
      providers: [
        { provide: DATABASE_OPTIONS, useValue: options },
        PrismaService,
        { provide: SqlDatabase, inject: [PrismaService], useFactory: (prisma: PrismaService) => new SqlDatabase(prisma.pool) },
      ],
      exports: [PrismaService, SqlDatabase],
    };
  }
}
