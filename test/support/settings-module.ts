import { DynamicModule, Module } from '@nestjs/common';

/** Stands in for an application's ConfigModule: provides `value` under `token`, and exports it. */
@Module({})
export class SettingsModule {
  static of(token: string, value: unknown): DynamicModule {
    return {
      module: SettingsModule,
      providers: [{ provide: token, useValue: value }],
      exports: [token],
    };
  }
}
