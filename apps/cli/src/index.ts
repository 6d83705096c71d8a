// Public surface of @shepherd/cli: the `shepherd` command, callable from code (a test harness,
// a custom launcher), and the handler-module loader its workers use.
export { runCli, mainHelp, type CliOutput } from './run-cli';
export { COMMANDS } from './commands';
export { type Command, type FlagSpec, helpText } from './command';
export { EXIT_USAGE, UsageError } from './usage-error';
export {
  handlersOf,
  isEsm,
  loadHandlerModule,
  resolveHandlerPath,
  type HandlerTable,
} from '../../worker/src/handler-module';
