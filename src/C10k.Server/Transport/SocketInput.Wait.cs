using System.IO.Pipelines;
using System.Net.Sockets;
using System.Threading.Tasks.Sources;

namespace C10k.Server.Transport;

internal sealed partial class SocketInput
{
    /// <summary>The zero-byte receive and the pending read's completion, in one object per connection.</summary>
    private sealed class Wait : SocketAsyncEventArgs, IValueTaskSource<ReadResult>
    {
        private readonly SocketInput _input;
        private ManualResetValueTaskSourceCore<ReadResult> _core;
        private CancellationTokenRegistration _cancellation;

        public Wait(SocketInput input)
            : base(unsafeSuppressExecutionContextFlow: true)
        {
            _input = input;
            SetBuffer(Memory<byte>.Empty);
        }

        public short Version => _core.Version;

        public void Reset() => _core.Reset();

        public void CancelOn(CancellationToken token) =>
            _cancellation = token.UnsafeRegister(static state => ((Wait)state!).Cancelled(), this);

        public void Complete(ReadResult result, Exception? error)
        {
            _cancellation.Dispose();
            _cancellation = default;
            if (error is null)
            {
                _core.SetResult(result);
            }
            else
            {
                _core.SetException(error);
            }
        }

        public ReadResult GetResult(short token) => _core.GetResult(token);

        public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

        public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
            _core.OnCompleted(continuation, state, token, flags);

        protected override void OnCompleted(SocketAsyncEventArgs e) => _input.OnReceived();

        private void Cancelled()
        {
            lock (this)
            {
                if (!_input._waiting)
                {
                    return;
                }

                _input._waiting = false;
            }

            _cancellation = default;
            _core.SetException(new OperationCanceledException());
        }
    }
}
