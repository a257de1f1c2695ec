# LSTM Gate Lab: one replica of the app. Build and run:
#   docker build -t lstm-gate-lab .
#   docker run -p 8501:8501 lstm-gate-lab
# Several replicas behind a load balancer need sticky sessions (see README, "Serving a class").
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MALLOC_ARENA_MAX=2
WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY app.py ./
COPY lstm_core ./lstm_core
COPY ui ./ui
COPY pages ./pages
COPY assets ./assets
COPY .streamlit ./.streamlit

RUN useradd --create-home gatelab
USER gatelab
EXPOSE 8501
HEALTHCHECK --interval=30s --timeout=3s \
  CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=2)"
CMD ["streamlit", "run", "app.py", "--server.address=0.0.0.0", "--server.port=8501", "--server.headless=true"]
