import type {
  DynamicModule,
  InjectionToken,
  ModuleMetadata,
  OptionalFactoryDependency,
  Provider,
} from '@nestjs/common';

// The forRoot / forRootAsync shape the task queue's modules share: the module's options are a
// provider (given as a value, or made by a factory) that the module's own providers inject.

/** forRoot's argument: the module's options, plus the module's imports and scope. */
export type RootModuleOptions<T> = T & Pick<ModuleMetadata, 'imports'> & { isGlobal?: boolean };

/** forRootAsync's argument: a factory for the module's options, and what it needs. */
export interface AsyncModuleOptions<T> extends Pick<ModuleMetadata, 'imports'> {
  /** Register the providers globally (no need to import the module everywhere). */
  isGlobal?: boolean;
  inject?: Array<InjectionToken | OptionalFactoryDependency>;
  useFactory: (...args: never[]) => T | Promise<T>;
}

/** forRoot: `module`, with `options` (but imports and isGlobal) provided under `token`. */
export function withOptions<T extends object>(
  module: DynamicModule,
  token: InjectionToken,
  options: RootModuleOptions<T>,
): DynamicModule {
  const { isGlobal, imports, ...value } = options;
  return withOptionsProvider(module, { provide: token, useValue: value }, imports, isGlobal);
}

/** forRootAsync: `module`, with what the factory makes provided under `token`. */
export function withAsyncOptions<T>(
  module: DynamicModule,
  token: InjectionToken,
  options: AsyncModuleOptions<T>,
): DynamicModule {
  const { isGlobal, imports, inject = [], useFactory } = options;
  return withOptionsProvider(module, { provide: token, useFactory, inject }, imports, isGlobal);
}

function withOptionsProvider(
  module: DynamicModule,
  optionsProvider: Provider,
  imports: NonNullable<ModuleMetadata['imports']> = [],
  isGlobal = false,
): DynamicModule {
  return {
    ...module,
    global: isGlobal,
    imports: [...(module.imports ?? []), ...imports],
    providers: [optionsProvider, ...(module.providers ?? [])],
  };
}
