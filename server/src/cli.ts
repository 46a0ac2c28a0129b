/**
 * `auditd-tools`: the command-line adapter over the rules and log engines. Each command
 * lives in server/src/cli/ and registers here.
 */
import { checkCommand } from './cli/check';
import type { Command, CommandIo } from './cli/io';
import { mdatpCommand } from './cli/mdatp';
import { noiseUsage, runNoise } from './cli/noise';
import { syscallCommand } from './cli/syscall';
import { version } from '../../package.json';

const commands: Command[] = [
  checkCommand,
  syscallCommand,
  {
    name: 'noise',
    summary: 'rank what fills audit logs and suggest exclusion rules',
    usage: noiseUsage,
    run: runNoise,
  },
  mdatpCommand,
];

function overview(): string {
  const width = Math.max(...commands.map((command) => command.name.length));
  const lines = commands.map((command) =>
    `  ${command.name.padEnd(width)}  ${command.summary}`);
  return `usage: auditd-tools COMMAND [ARGUMENTS]\n\ncommands:\n${lines.join('\n')}\n\n` +
    'Run "auditd-tools COMMAND --help" for the arguments of a command, ' +
    '"auditd-tools --version" for the version.\n';
}

export async function main(argv: readonly string[], io: CommandIo): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? io.stderr : io.stdout)(overview());
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-V') {
    io.stdout(`auditd-tools ${version}\n`);
    return 0;
  }
  const command = commands.find((entry) => entry.name === name);
  if (!command) {
    io.stderr(`auditd-tools: unknown command "${name}"\n\n${overview()}`);
    return 2;
  }
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout(`${command.usage}\n`);
    return 0;
  }
  return command.run(args, io);
}

if (require.main === module) {
  // A reader that stops early (`| head`, quitting `less`) closes the pipe: stop quietly,
  // with the status a process killed by SIGPIPE has (128 + 13), as cat and grep do.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(141);
      // A report that could not be written (a full disk) is an output error, status 2: not
      // the 1 that says what was read has errors.
      if (stream === process.stdout) {
        process.stderr.write(`auditd-tools: cannot write the output: ${error.message}\n`);
      }
      process.exit(2);
    });
  }
  const io: CommandIo = {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    stdoutReady: () => (process.stdout.writableNeedDrain
      ? new Promise((resolve) => process.stdout.once('drain', resolve)) : Promise.resolve()),
    stdin: process.stdin,
  };
  main(process.argv.slice(2), io).then(
    (status) => {
      process.exitCode = status;
    },
    (error: unknown) => {
      process.stderr.write(`auditd-tools: ${(error as Error).stack ?? String(error)}\n`);
      process.exitCode = 2;
    },
  );
}
