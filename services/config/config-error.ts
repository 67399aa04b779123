// A configuration mistake the process must refuse to start with. The message is always a single line naming
// the flag, the offending value and what would have been accepted, because it is the only thing an operator
// sees in `kubectl logs` of a crash-looping pod.

/** Renders a user-supplied value so it stays on one line and an empty value is still visible. */
export function showValue(value: string): string {
  if (value === '' || /[\s\u0000-\u001f\u007f"]/.test(value)) return JSON.stringify(value);
  return value;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';

  /**
   * @param flag    the flag as spelled on the command line ('--health-check-port'), the environment variable
   *                for environment-only settings, or '' for a stray positional argument
   * @param value   the rejected value; undefined when the problem is that no value was given at all
   * @param problem what is wrong, phrased to follow the value ('is out of range')
   * @param accepted what would have been accepted ('1..65535')
   * @param source  where the value came from when not the command line ('POLLING_INTERVAL')
   */
  constructor(
    readonly flag: string,
    readonly value: string | undefined,
    readonly problem: string,
    readonly accepted: string,
    readonly source?: string,
  ) {
    // '--port: 70000 is out of range' when there is a value, '--target-access-mode is required' when there is not.
    const subject =
      value === undefined
        ? flag === ''
          ? ''
          : `${flag} `
        : `${flag === '' ? '' : `${flag}: `}${showValue(value)}${source ? ` (from ${source})` : ''} `;
    super(`${subject}${problem}; accepted: ${accepted}`.replace(/[\r\n]+/g, ' '));
  }
}
